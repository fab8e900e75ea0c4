#ifndef AUGUR_CORE_BO_MODEL_STATE_H_
#define AUGUR_CORE_BO_MODEL_STATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "Eigen/Core"

namespace augur::bo {

// Kernel hyperparameters are refitted only when the number of finished
// trials reaches a checkpoint of the sequence 2, 3, 5, 8, 12, 18, 27, 41, ...
// (each the ceiling of 1.5 times the previous). A study of 1000 trials refits
// 15 times, and calls between checkpoints reuse the stored fit.
//
// Returns the largest checkpoint <= finished, or 0 when finished < 2.
int64_t FitCheckpoint(int64_t finished);

// Fitted hyperparameters stored in the study-wide algorithm state, keyed by
// the checkpoint they were fitted at, so that every suggestion is a function
// of the stored history alone.
struct ModelState {
  int64_t checkpoint = 0;
  // Packed log hyperparameters (see KernelHyperparameters).
  Eigen::VectorXd theta;

  // Formats as "bo-gp checkpoint=12 theta=0x1.8p-1,..." with hexadecimal
  // floats, so that parsing gives back the exact doubles.
  std::string Format() const;

  // Returns nullopt for text in any other format, so a study whose state
  // is missing or unreadable refits.
  static std::optional<ModelState> Parse(const std::string& text);
};

}  // namespace augur::bo

#endif  // AUGUR_CORE_BO_MODEL_STATE_H_
