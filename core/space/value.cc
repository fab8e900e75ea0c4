#include "core/space/value.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace augur {
namespace {

// Formats a finite double as Python's repr() does. The digits are the
// shortest that read back to the same double. Decimal exponents in [-4, 16)
// use fixed notation, with ".0" on integral values, and others use
// scientific notation with a signed exponent of at least two digits.
std::string FormatFiniteDouble(double x) {
  // std::to_chars in scientific form without a precision yields the
  // shortest round-trip digits, e.g. "-3.25e-02".
  char buffer[64];
  const std::to_chars_result result = std::to_chars(
      buffer, buffer + sizeof(buffer), x, std::chars_format::scientific);
  const std::string text(buffer, result.ptr);

  std::string digits;
  size_t pos = 0;
  const bool negative = text[0] == '-';
  if (negative) pos = 1;
  for (; pos < text.size() && text[pos] != 'e'; ++pos) {
    if (text[pos] != '.') digits.push_back(text[pos]);
  }
  const int exponent = std::stoi(text.substr(pos + 1));

  std::string out = negative ? "-" : "";
  if (exponent >= -4 && exponent < 16) {
    if (exponent >= 0) {
      const size_t integer_digits = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= integer_digits) {
        absl::StrAppend(&out, digits, std::string(integer_digits - digits.size(), '0'), ".0");
      } else {
        absl::StrAppend(&out, digits.substr(0, integer_digits), ".", digits.substr(integer_digits));
      }
    } else {
      absl::StrAppend(&out, "0.", std::string(static_cast<size_t>(-exponent - 1), '0'), digits);
    }
    return out;
  }

  out.push_back(digits[0]);
  if (digits.size() > 1) absl::StrAppend(&out, ".", digits.substr(1));
  absl::StrAppend(&out, absl::StrFormat("e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent)));
  return out;
}

std::string FormatDouble(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return FormatFiniteDouble(x);
}

std::string JsonQuote(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&out, absl::StrFormat("\\u%04x", static_cast<unsigned char>(c)));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

uint64_t DoubleBits(double x) {
  if (x == 0.0) x = 0.0;  // Folds -0.0 into 0.0.
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof(bits));
  return bits;
}

void AppendFixed64(std::string* out, uint64_t bits) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((bits >> shift) & 0xff));
  }
}

}  // namespace

std::string FormatValue(const Value& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return absl::StrCat(*i);
  if (const auto* d = std::get_if<double>(&value)) return FormatDouble(*d);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return std::get<std::string>(value);
}

std::string ValueToJson(const Value& value) {
  if (const auto* d = std::get_if<double>(&value)) {
    // JSON has no NaN or infinity; these are the spellings Python's json
    // module reads and writes.
    if (std::isnan(*d)) return "NaN";
    if (std::isinf(*d)) return *d > 0 ? "Infinity" : "-Infinity";
    return FormatFiniteDouble(*d);
  }
  if (const auto* s = std::get_if<std::string>(&value)) return JsonQuote(*s);
  return FormatValue(value);
}

v1::Value ValueToProto(const Value& value) {
  v1::Value proto;
  if (const auto* i = std::get_if<int64_t>(&value)) {
    proto.set_int_value(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    proto.set_double_value(*d);
  } else if (const auto* b = std::get_if<bool>(&value)) {
    proto.set_bool_value(*b);
  } else {
    proto.set_string_value(std::get<std::string>(value));
  }
  return proto;
}

Value ValueFromProto(const v1::Value& proto) {
  switch (proto.kind_case()) {
    case v1::Value::kIntValue:
      return proto.int_value();
    case v1::Value::kDoubleValue:
      return proto.double_value();
    case v1::Value::kStringValue:
      return proto.string_value();
    case v1::Value::kBoolValue:
      return proto.bool_value();
    case v1::Value::KIND_NOT_SET:
      break;
  }
  return int64_t{0};
}

bool SameValue(const Value& a, const Value& b) {
  if (a.index() != b.index()) return false;
  if (const auto* d = std::get_if<double>(&a)) {
    return DoubleBits(*d) == DoubleBits(std::get<double>(b));
  }
  return a == b;
}

std::string PointKey(const Point& point) {
  // Each value is a type tag followed by a fixed-width payload, and strings
  // carry their length, so distinct points never share a key.
  std::string key;
  for (const Value& value : point) {
    if (const auto* i = std::get_if<int64_t>(&value)) {
      key.push_back('i');
      AppendFixed64(&key, static_cast<uint64_t>(*i));
    } else if (const auto* d = std::get_if<double>(&value)) {
      key.push_back('d');
      AppendFixed64(&key, DoubleBits(*d));
    } else if (const auto* b = std::get_if<bool>(&value)) {
      key.push_back(*b ? 'T' : 'F');
    } else {
      const std::string& s = std::get<std::string>(value);
      key.push_back('s');
      AppendFixed64(&key, s.size());
      key += s;
    }
  }
  return key;
}

}  // namespace augur
