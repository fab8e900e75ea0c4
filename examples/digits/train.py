"""Train one trial of the digits study: SGDClassifier on scikit-learn's digits.

Reads its hyperparameters from the command line (rendered from run.cmd), fits
one epoch at a time with partial_fit, reports the validation accuracy through
the augur Python client after each epoch, and stops early on a stop decision.

Outside `augur run` (no AUGUR_ADDRESS), it trains and prints the accuracy.
"""

import argparse
import os
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alpha", type=float, default=1e-4,
                        help="regularisation strength")
    parser.add_argument("--loss", default="hinge",
                        help="hinge, log_loss or modified_huber")
    parser.add_argument("--penalty", default="l2", help="l2, l1 or elasticnet")
    parser.add_argument("--epochs", type=int, default=15,
                        help="passes over the training set")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the data split and the shuffling")
    return parser.parse_args()


def main():
    args = parse_args()
    trial = None
    if os.environ.get("AUGUR_ADDRESS"):
        import augur_client

        trial = augur_client.current_trial()

    digits = load_digits()
    x_train, x_valid, y_train, y_valid = train_test_split(
        digits.data, digits.target, test_size=0.25, random_state=args.seed,
        stratify=digits.target)
    scaler = StandardScaler().fit(x_train)
    x_train = scaler.transform(x_train)
    x_valid = scaler.transform(x_valid)

    model = SGDClassifier(alpha=args.alpha, loss=args.loss, penalty=args.penalty,
                          random_state=args.seed)
    classes = np.unique(digits.target)
    rng = np.random.default_rng(args.seed)
    accuracy = 0.0
    for epoch in range(args.epochs):
        order = rng.permutation(len(x_train))
        model.partial_fit(x_train[order], y_train[order], classes=classes)
        accuracy = float(model.score(x_valid, y_valid))
        print(f"epoch {epoch}: accuracy {accuracy:.4f}")
        if trial is not None and trial.report(step=epoch, accuracy=accuracy):
            print(f"stopping early: {trial.stop_reason}")
            return 0

    if trial is not None:
        trial.complete(accuracy=accuracy)
    else:
        print(f"accuracy={accuracy:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
