"""Stand-in training code for the blog examples: a deterministic loss curve.

Every example under examples/blog/ runs this script as its trial. It trains
nothing. The loss after k steps is a closed-form function of the
hyperparameters, so a study runs in seconds on any machine with Python 3 and
no third-party package:

    loss(k) = floor + 0.5 * 0.7**k        for k = 1 .. --num-steps
    accuracy(k) = max(0, 1 - loss(k))

    floor = 0.02
          + 0.1 * (log10(lr) - log10(0.03))**2     (lr below 1e-4 counts as 1e-4)
          + 0.5 * (dropout - 0.3)**2
          + 0.05 * (param1 - 0.6)**2               (when --param1 is given)
          + 0.1 for sigmoid, 0.01 for elu, 0 for relu

The best settings are lr = 0.03, dropout = 0.3 and relu. More steps always
lower the loss, which is what Hyperband's resource needs. Sigmoid trials never
reach accuracy 0.9, so the early-stopping example needs a relu trial to stop.

Each step prints one line on stdout, `step=k loss=... accuracy=...`, which
`augur run` records as a measurement. No augur client is needed.
"""

import argparse
import math
import sys

ACTIVATION_PENALTY = {"relu": 0.0, "elu": 0.01, "sigmoid": 0.1}
BEST_LR = 0.03
MIN_LR = 1e-4


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", "--learning-rate", dest="lr", type=float,
                        required=True, help="learning rate, greater than or "
                        "equal to 0")
    parser.add_argument("--dropout", type=float, default=0.3,
                        help="dropout rate in [0, 1)")
    parser.add_argument("--activation", default="relu",
                        choices=sorted(ACTIVATION_PENALTY),
                        help="activation function")
    parser.add_argument("--param1", type=float, default=None,
                        help="an extra parameter in [0, 1] (the blog's "
                        "`param1`); omitted, it adds nothing to the loss")
    parser.add_argument("--batch-size", type=int, default=128,
                        help="accepted because the blog's command passes it; "
                        "the loss does not depend on it")
    parser.add_argument("--num-steps", type=int, default=10,
                        help="training steps, the Hyperband resource")
    args = parser.parse_args()

    if not math.isfinite(args.lr) or args.lr < 0:
        parser.error(f"--lr is {args.lr}; it must be a finite number >= 0")
    if not 0 <= args.dropout < 1:
        parser.error(f"--dropout is {args.dropout}; it must be in [0, 1)")
    if args.num_steps < 1:
        parser.error(f"--num-steps is {args.num_steps}; it must be at least 1")
    return args


def loss_floor(args):
    """Return the loss that the curve approaches as the steps grow."""
    lr = max(args.lr, MIN_LR)
    floor = 0.02
    floor += 0.1 * (math.log10(lr) - math.log10(BEST_LR)) ** 2
    floor += 0.5 * (args.dropout - 0.3) ** 2
    if args.param1 is not None:
        floor += 0.05 * (args.param1 - 0.6) ** 2
    floor += ACTIVATION_PENALTY[args.activation]
    return floor


def main():
    args = parse_args()
    floor = loss_floor(args)

    for step in range(1, args.num_steps + 1):
        loss = floor + 0.5 * 0.7 ** step
        accuracy = max(0.0, 1.0 - loss)
        print(f"step={step} loss={loss:.6f} accuracy={accuracy:.6f}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
