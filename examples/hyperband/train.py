"""Train one Hyperband trial: MLPClassifier on scikit-learn's digits.

Trains for --epochs passes over the training set (the Hyperband resource),
one partial_fit call per epoch, and reports the validation accuracy after
each epoch through the augur Python client. When training ends it pickles
the model to checkpoint.pkl in the trial's output directory, before it
completes the trial, so that a promoted trial can start from it.

A promoted trial started with resume gets AUGUR_RESUME_DIR, the output
directory of its parent. It loads the parent's checkpoint and trains only the
epochs the parent did not run. Resuming 3 epochs to 9 gives the same model as
9 epochs from scratch.

Outside `augur run` (no AUGUR_ADDRESS) it trains, prints the accuracy and
takes the directories from --output-dir and --resume-dir.
"""

import argparse
import os
import pickle
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

CHECKPOINT = "checkpoint.pkl"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, required=True,
                        help="passes over the training set in total, the "
                             "parent's epochs included")
    parser.add_argument("--learning-rate", type=float, default=1e-3,
                        help="initial learning rate of Adam")
    parser.add_argument("--alpha", type=float, default=1e-4,
                        help="L2 regularisation strength")
    parser.add_argument("--hidden-units", type=int, default=32,
                        help="units of the single hidden layer")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the data split and the network")
    parser.add_argument("--output-dir", default=os.environ.get("AUGUR_OUTPUT_DIR"),
                        help="where checkpoint.pkl is written "
                             "(default: $AUGUR_OUTPUT_DIR)")
    parser.add_argument("--resume-dir", default=os.environ.get("AUGUR_RESUME_DIR"),
                        help="a parent trial's output directory to continue "
                             "from (default: $AUGUR_RESUME_DIR)")
    args = parser.parse_args()
    if args.epochs < 1:
        parser.error(f"--epochs is {args.epochs}; it must be at least 1")
    return args


def hyperparameters(args):
    """The settings a checkpoint must share with the trial that resumes it."""
    return {"learning_rate": args.learning_rate, "alpha": args.alpha,
            "hidden_units": args.hidden_units, "seed": args.seed}


def load_data(seed):
    digits = load_digits()
    x_train, x_valid, y_train, y_valid = train_test_split(
        digits.data, digits.target, test_size=0.25, random_state=seed,
        stratify=digits.target)
    scaler = StandardScaler().fit(x_train)
    return (scaler.transform(x_train), y_train, scaler.transform(x_valid),
            y_valid, np.unique(digits.target))


def new_model(args):
    return MLPClassifier(hidden_layer_sizes=(args.hidden_units,),
                         learning_rate_init=args.learning_rate,
                         alpha=args.alpha, random_state=args.seed)


def load_checkpoint(resume_dir, args):
    """Return (model, epochs already trained) from a parent's checkpoint.

    Raises RuntimeError when the checkpoint is missing, was trained with other
    hyperparameters or ran more epochs than --epochs.
    """
    path = os.path.join(resume_dir, CHECKPOINT)
    if not os.path.exists(path):
        raise RuntimeError(
            f"no checkpoint at {path}: the parent trial did not finish "
            "training; rerun it, or set resume: false to train from scratch")
    with open(path, "rb") as file:
        checkpoint = pickle.load(file)
    if checkpoint["hyperparameters"] != hyperparameters(args):
        raise RuntimeError(
            f"the checkpoint at {path} was trained with "
            f"{checkpoint['hyperparameters']}, not {hyperparameters(args)}")
    if checkpoint["epochs"] > args.epochs:
        raise RuntimeError(
            f"the checkpoint at {path} already ran {checkpoint['epochs']} "
            f"epochs, more than --epochs={args.epochs}")
    return checkpoint["model"], checkpoint["epochs"]


def save_checkpoint(output_dir, model, epochs, args):
    """Write the checkpoint through a temporary file, so that a reader never
    sees a partial one."""
    os.makedirs(output_dir, exist_ok=True)
    path = os.path.join(output_dir, CHECKPOINT)
    temporary = path + ".tmp"
    with open(temporary, "wb") as file:
        pickle.dump({"model": model, "epochs": epochs,
                     "hyperparameters": hyperparameters(args)}, file)
    os.replace(temporary, path)


def main():
    args = parse_args()
    trial = None
    if os.environ.get("AUGUR_ADDRESS"):
        import augur_client

        trial = augur_client.current_trial()

    x_train, y_train, x_valid, y_valid, classes = load_data(args.seed)
    if args.resume_dir:
        model, done = load_checkpoint(args.resume_dir, args)
        print(f"resuming from {args.resume_dir} after {done} epochs")
    else:
        if trial is not None and trial.resume_from is not None:
            print(f"parent trial {trial.resume_from} has no local output "
                  "directory; training from scratch")
        model, done = new_model(args), 0

    accuracy = float(model.score(x_valid, y_valid)) if done > 0 else 0.0
    for epoch in range(done, args.epochs):
        model.partial_fit(x_train, y_train, classes=classes)
        accuracy = float(model.score(x_valid, y_valid))
        print(f"epoch {epoch}: accuracy {accuracy:.4f}")
        if trial is not None and trial.report(step=epoch, accuracy=accuracy):
            print(f"stopping early: {trial.stop_reason}")
            return 0

    if args.output_dir:
        save_checkpoint(args.output_dir, model, args.epochs, args)
    if trial is not None:
        # A resumed trial with no epoch left reported nothing yet.
        trial.complete(accuracy=accuracy)
    else:
        print(f"accuracy={accuracy:.4f}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
