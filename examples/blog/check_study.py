"""Check how a blog example study ended, from `augur show --format json`.

Usage: augur show --db DB --format json STUDY | python3 check_study.py EXAMPLE

EXAMPLE is the example's directory name (grid, random, hyperband, bo or
early_stopping). Exits with status 1 and one line per problem on stderr when
the study did not end as run_all.sh expects, and prints one summary line
otherwise.
"""

import json
import sys


def check(example, study, trials):
    """Return the problems found in the study, as messages."""
    problems = []
    counts = study["trial_counts"]
    state = f"{study['state']} ({study['state_reason']})"

    def expect_completed(n_trials):
        if study["state"] != "COMPLETED":
            problems.append(f"state is {state}, expected COMPLETED")
        if counts["succeeded"] != n_trials:
            problems.append(f"{counts['succeeded']} trials succeeded, "
                            f"expected {n_trials}")

    if example == "grid":
        expect_completed(4)
        lrs = sorted({trial["parameters"]["lr"] for trial in trials})
        # 10^0.01 and 10^0.0325: logspace start and stop are exponents.
        if not (len(lrs) == 2 and 1.02 < lrs[0] < 1.03 and 1.07 < lrs[1] < 1.08):
            problems.append(f"lr values are {lrs}, expected about 1.0233 and "
                            "1.0777")
    elif example == "random":
        expect_completed(40)
    elif example == "hyperband":
        expect_completed(206)
        steps = [trial["parameters"]["num_steps"] for trial in trials]
        if not steps or min(steps) != 1 or max(steps) != 81:
            problems.append(f"num_steps values are {sorted(set(steps))}, "
                            "expected 1 to 81")
    elif example == "bo":
        expect_completed(45)
    elif example == "early_stopping":
        if study["state"] != "STOPPED":
            problems.append(f"state is {state}, expected STOPPED by early "
                            "stopping")
        if len(trials) >= 40:
            problems.append(f"{len(trials)} trials ran; early stopping should "
                            "end the study before all 40")
        reached = [trial["id"] for trial in trials
                   if trial["latest_metrics"].get("accuracy", 0.0) >= 0.9
                   or trial["latest_metrics"].get("loss", 1.0) <= 0.05]
        if not reached:
            problems.append("no trial reached accuracy >= 0.9 or loss <= 0.05")
    else:
        problems.append(f"unknown example {example!r}; use grid, random, "
                        "hyperband, bo or early_stopping")
    return problems


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    example = sys.argv[1]
    report = json.load(sys.stdin)
    study, trials = report["study"], report["trials"]

    problems = check(example, study, trials)
    for problem in problems:
        print(f"{example}: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{example}: {study['state']} with {len(trials)} trials "
          f"({study['state_reason']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
