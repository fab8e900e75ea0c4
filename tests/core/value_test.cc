#include "core/space/value.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace augur {
namespace {

TEST(FormatValue, IntegersInDecimal) {
  EXPECT_EQ(FormatValue(int64_t{0}), "0");
  EXPECT_EQ(FormatValue(int64_t{-42}), "-42");
  EXPECT_EQ(FormatValue(std::numeric_limits<int64_t>::max()), "9223372036854775807");
}

TEST(FormatValue, DoublesShortestRoundTrip) {
  EXPECT_EQ(FormatValue(0.1), "0.1");
  EXPECT_EQ(FormatValue(0.0325), "0.0325");
  EXPECT_EQ(FormatValue(0.05500000000000001), "0.05500000000000001");
  EXPECT_EQ(FormatValue(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(FormatValue(123.456), "123.456");
  EXPECT_EQ(FormatValue(-2.5), "-2.5");
}

TEST(FormatValue, IntegralDoubleKeepsPointZero) {
  EXPECT_EQ(FormatValue(3.0), "3.0");
  EXPECT_EQ(FormatValue(0.0), "0.0");
  EXPECT_EQ(FormatValue(-0.0), "-0.0");
  EXPECT_EQ(FormatValue(1000.0), "1000.0");
  EXPECT_EQ(FormatValue(1e15), "1000000000000000.0");
}

TEST(FormatValue, ExponentFormLikePython) {
  // Python's repr switches to exponent form below 1e-4 and from 1e16 up.
  EXPECT_EQ(FormatValue(1e-4), "0.0001");
  EXPECT_EQ(FormatValue(1e-5), "1e-05");
  EXPECT_EQ(FormatValue(1.5e-7), "1.5e-07");
  EXPECT_EQ(FormatValue(1e16), "1e+16");
  EXPECT_EQ(FormatValue(1.2345678901234568e+17), "1.2345678901234568e+17");
  EXPECT_EQ(FormatValue(1e100), "1e+100");
  EXPECT_EQ(FormatValue(-5e-324), "-5e-324");
}

TEST(FormatValue, NonFiniteDoubles) {
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(FormatValue(std::nan("")), "nan");
}

TEST(FormatValue, BoolsAndStrings) {
  EXPECT_EQ(FormatValue(true), "true");
  EXPECT_EQ(FormatValue(false), "false");
  EXPECT_EQ(FormatValue(std::string("relu")), "relu");
  EXPECT_EQ(FormatValue(std::string("a b")), "a b");
}

TEST(ValueToJson, ScalarsAndEscapes) {
  EXPECT_EQ(ValueToJson(int64_t{7}), "7");
  EXPECT_EQ(ValueToJson(3.0), "3.0");
  EXPECT_EQ(ValueToJson(1e-5), "1e-05");
  EXPECT_EQ(ValueToJson(true), "true");
  EXPECT_EQ(ValueToJson(std::string("relu")), "\"relu\"");
  EXPECT_EQ(ValueToJson(std::string("say \"hi\"\\\n\t")), "\"say \\\"hi\\\"\\\\\\n\\t\"");
  EXPECT_EQ(ValueToJson(std::string("\x01")), "\"\\u0001\"");
  EXPECT_EQ(ValueToJson(std::string("caf\xc3\xa9")), "\"caf\xc3\xa9\"");
  EXPECT_EQ(ValueToJson(std::nan("")), "NaN");
}

TEST(ValueProto, RoundTripsEveryType) {
  for (const Value& value : {Value(int64_t{-3}), Value(2.5), Value(std::string("x")),
                             Value(true)}) {
    EXPECT_TRUE(SameValue(ValueFromProto(ValueToProto(value)), value)) << FormatValue(value);
  }
  EXPECT_TRUE(SameValue(ValueFromProto(v1::Value()), Value(int64_t{0})));
}

TEST(SameValue, TypesStayApart) {
  EXPECT_FALSE(SameValue(int64_t{1}, 1.0));
  EXPECT_FALSE(SameValue(true, int64_t{1}));
  EXPECT_TRUE(SameValue(0.0, -0.0));
  EXPECT_FALSE(SameValue(0.1, std::nextafter(0.1, 1.0)));
  EXPECT_TRUE(SameValue(std::string("a"), std::string("a")));
}

TEST(PointKey, DistinguishesPoints) {
  EXPECT_EQ(PointKey({int64_t{1}, std::string("a")}), PointKey({int64_t{1}, std::string("a")}));
  EXPECT_NE(PointKey({int64_t{1}}), PointKey({1.0}));
  EXPECT_NE(PointKey({std::string("ab"), std::string("c")}),
            PointKey({std::string("a"), std::string("bc")}));
  EXPECT_EQ(PointKey({0.0}), PointKey({-0.0}));
  EXPECT_NE(PointKey({true}), PointKey({false}));
}

}  // namespace
}  // namespace augur
