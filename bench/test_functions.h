#ifndef AUGUR_BENCH_TEST_FUNCTIONS_H_
#define AUGUR_BENCH_TEST_FUNCTIONS_H_

#include <string>
#include <vector>

namespace augur::bench {

// A standard optimisation test function on a box, to be minimised.
// Definitions and domains follow Surjanovic and Bingham, "Virtual Library of
// Simulation Experiments" (https://www.sfu.ca/~ssurjano/optimization.html).
struct TestFunction {
  std::string name;
  // The box, one interval per dimension.
  std::vector<double> low;
  std::vector<double> high;
  // The global minimum value.
  double minimum = 0.0;
  double (*evaluate)(const std::vector<double>& x) = nullptr;

  int dimensions() const { return static_cast<int>(low.size()); }
};

// Branin-Hoo on [-5, 10] x [0, 15], with minimum 0.397887 at three points.
double Branin(const std::vector<double>& x);

// Hartmann on [0, 1]^6, with minimum -3.32237.
double Hartmann6(const std::vector<double>& x);

// Levy in any dimension on [-10, 10]^d, with minimum 0 at (1, ..., 1).
double Levy(const std::vector<double>& x);

// Rosenbrock in any dimension on [-5, 10]^d, with minimum 0 at (1, ..., 1).
double Rosenbrock(const std::vector<double>& x);

// branin, hartmann6, levy10 and rosenbrock10.
std::vector<TestFunction> AllTestFunctions();

}  // namespace augur::bench

#endif  // AUGUR_BENCH_TEST_FUNCTIONS_H_
