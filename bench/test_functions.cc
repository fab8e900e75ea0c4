#include "bench/test_functions.h"

#include <cmath>
#include <vector>

namespace augur::bench {
namespace {

constexpr double kPi = 3.14159265358979323846;

double Square(double x) { return x * x; }

}  // namespace

double Branin(const std::vector<double>& x) {
  const double b = 5.1 / (4 * kPi * kPi);
  const double c = 5 / kPi;
  const double t = 1 / (8 * kPi);
  const double a = x[1] - b * x[0] * x[0] + c * x[0] - 6;
  return a * a + 10 * (1 - t) * std::cos(x[0]) + 10;
}

double Hartmann6(const std::vector<double>& x) {
  static const double kAlpha[4] = {1.0, 1.2, 3.0, 3.2};
  static const double kA[4][6] = {{10, 3, 17, 3.5, 1.7, 8},
                                  {0.05, 10, 17, 0.1, 8, 14},
                                  {3, 3.5, 1.7, 10, 17, 8},
                                  {17, 8, 0.05, 10, 0.1, 14}};
  static const double kP[4][6] = {
      {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
      {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
      {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
      {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

  double sum = 0.0;
  for (int i = 0; i < 4; ++i) {
    double inner = 0.0;
    for (int j = 0; j < 6; ++j) inner += kA[i][j] * Square(x[j] - kP[i][j]);
    sum += kAlpha[i] * std::exp(-inner);
  }
  return -sum;
}

double Levy(const std::vector<double>& x) {
  const size_t d = x.size();
  std::vector<double> w(d);
  for (size_t i = 0; i < d; ++i) w[i] = 1.0 + (x[i] - 1.0) / 4.0;

  double sum = Square(std::sin(kPi * w[0]));
  for (size_t i = 0; i + 1 < d; ++i) {
    sum += Square(w[i] - 1) * (1 + 10 * Square(std::sin(kPi * w[i] + 1)));
  }
  sum += Square(w[d - 1] - 1) * (1 + Square(std::sin(2 * kPi * w[d - 1])));
  return sum;
}

double Rosenbrock(const std::vector<double>& x) {
  double sum = 0.0;
  for (size_t i = 0; i + 1 < x.size(); ++i) {
    sum += 100 * Square(x[i + 1] - x[i] * x[i]) + Square(x[i] - 1);
  }
  return sum;
}

std::vector<TestFunction> AllTestFunctions() {
  return {
      {"branin", {-5.0, 0.0}, {10.0, 15.0}, 0.397887, Branin},
      {"hartmann6", std::vector<double>(6, 0.0), std::vector<double>(6, 1.0),
       -3.32237, Hartmann6},
      {"levy10", std::vector<double>(10, -10.0), std::vector<double>(10, 10.0),
       0.0, Levy},
      {"rosenbrock10", std::vector<double>(10, -5.0),
       std::vector<double>(10, 10.0), 0.0, Rosenbrock},
  };
}

}  // namespace augur::bench
