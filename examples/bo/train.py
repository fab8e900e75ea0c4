"""Train one trial of the digits-bo study: SVC on scikit-learn's digits.

Reads C and gamma from the command line (rendered from run.cmd), fits an RBF
support vector classifier on three quarters of the digits data and completes
the trial with the accuracy on the last quarter, through the augur Python
client.

Outside `augur run` (no AUGUR_ADDRESS), it trains and prints the accuracy.
"""

import argparse
import os
import sys

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--C", type=float, default=1.0,
                        help="inverse regularisation strength, > 0")
    parser.add_argument("--gamma", type=float, default=1e-3,
                        help="RBF kernel coefficient, > 0")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the train/validation split")
    return parser.parse_args()


def main():
    args = parse_args()
    if args.C <= 0 or args.gamma <= 0:
        print(f"invalid C={args.C} or gamma={args.gamma}: both must be > 0",
              file=sys.stderr)
        return 2

    trial = None
    if os.environ.get("AUGUR_ADDRESS"):
        import augur_client

        trial = augur_client.current_trial()

    digits = load_digits()
    x_train, x_valid, y_train, y_valid = train_test_split(
        digits.data, digits.target, test_size=0.25, random_state=args.seed,
        stratify=digits.target)
    scaler = StandardScaler().fit(x_train)
    model = SVC(C=args.C, gamma=args.gamma, kernel="rbf")
    model.fit(scaler.transform(x_train), y_train)
    accuracy = float(model.score(scaler.transform(x_valid), y_valid))

    if trial is not None:
        trial.complete(accuracy=accuracy)
        print(f"accuracy {accuracy:.4f}")
    else:
        print(f"accuracy={accuracy:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
