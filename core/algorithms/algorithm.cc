#include "core/algorithms/algorithm.h"

#include <memory>

#include "absl/status/status.h"
#include "core/algorithms/grid_search.h"
#include "core/algorithms/hyperband.h"
#include "core/algorithms/random_search.h"
#include "core/bo/bayesian_optimization.h"

namespace augur {
namespace {

// Upcasts a StatusOr of a concrete algorithm.
template <typename T>
absl::StatusOr<std::unique_ptr<Algorithm>> Upcast(
    absl::StatusOr<std::unique_ptr<T>> algorithm) {
  if (!algorithm.ok()) return algorithm.status();
  return std::unique_ptr<Algorithm>(*std::move(algorithm));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Algorithm>> CreateAlgorithm(const StudyConfig& config) {
  switch (config.algorithm()) {
    case AlgorithmKind::kGrid:
      return std::make_unique<GridSearch>(config);
    case AlgorithmKind::kRandom:
      return std::make_unique<RandomSearch>(config);
    case AlgorithmKind::kHyperband:
      return Upcast(Hyperband::Create(config));
    case AlgorithmKind::kBayesian:
      return Upcast(BayesianOptimization::Create(config));
  }
  return absl::InternalError("unhandled algorithm kind");
}

}  // namespace augur
