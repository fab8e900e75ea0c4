#include "client/cli/assignment.h"

#include "gtest/gtest.h"

namespace augur {
namespace {

TEST(ParseValueText, TypesLikeYaml) {
  EXPECT_EQ(ParseValueText("3").int_value(), 3);
  EXPECT_EQ(ParseValueText("-12").int_value(), -12);
  EXPECT_EQ(ParseValueText("0.01").double_value(), 0.01);
  EXPECT_EQ(ParseValueText("1e-3").double_value(), 1e-3);
  EXPECT_TRUE(ParseValueText("True").bool_value());
  EXPECT_EQ(ParseValueText("false").kind_case(), v1::Value::kBoolValue);
  EXPECT_EQ(ParseValueText("rbf").string_value(), "rbf");
}

TEST(ParseValueText, QuotesMakeStrings) {
  EXPECT_EQ(ParseValueText("'3'").string_value(), "3");
  EXPECT_EQ(ParseValueText("\"true\"").string_value(), "true");
  EXPECT_EQ(ParseValueText("'a b'").string_value(), "a b");
}

TEST(ParseValueText, NonFiniteNumbersStayText) {
  EXPECT_EQ(ParseValueText("nan").string_value(), "nan");
  EXPECT_EQ(ParseValueText("inf").string_value(), "inf");
}

TEST(ParseParameterAssignment, SplitsAtFirstEquals) {
  auto parameter = ParseParameterAssignment("cmd=a=b");
  ASSERT_TRUE(parameter.ok()) << parameter.status();
  EXPECT_EQ(parameter->name(), "cmd");
  EXPECT_EQ(parameter->value().string_value(), "a=b");
}

TEST(ParseParameterAssignment, RejectsMissingEqualsOrName) {
  auto no_equals = ParseParameterAssignment("lr");
  ASSERT_FALSE(no_equals.ok());
  EXPECT_NE(no_equals.status().message().find("\"lr\" has no '='"),
            std::string::npos);
  auto no_name = ParseParameterAssignment("=3");
  ASSERT_FALSE(no_name.ok());
  EXPECT_NE(no_name.status().message().find("empty name"), std::string::npos);
}

TEST(ParseMetricAssignment, ReadsFiniteNumber) {
  auto metric = ParseMetricAssignment("accuracy=0.93");
  ASSERT_TRUE(metric.ok()) << metric.status();
  EXPECT_EQ(metric->name(), "accuracy");
  EXPECT_EQ(metric->value(), 0.93);
}

TEST(ParseMetricAssignment, RejectsNonNumbers) {
  for (const char* text :
       {"accuracy=high", "accuracy=nan", "accuracy=", "accuracy"}) {
    auto metric = ParseMetricAssignment(text);
    EXPECT_FALSE(metric.ok()) << text;
    EXPECT_NE(metric.status().message().find(text), std::string::npos)
        << metric.status();
  }
}

}  // namespace
}  // namespace augur
