#!/bin/sh
# Prints the loss of point (x, y) at steps 0 to 2. The loss is
# (x - 1)^2 + (y - 0.5)^2 + 1 / (step + 1), so the best point is x=1, y=0.5
# with a final loss of 1/3.
set -eu
x="$1"
y="$2"
for step in 0 1 2; do
  awk -v x="$x" -v y="$y" -v step="$step" 'BEGIN {
    printf "step=%d loss=%.6f\n", step, (x - 1) ^ 2 + (y - 0.5) ^ 2 + 1 / (step + 1)
  }'
done
