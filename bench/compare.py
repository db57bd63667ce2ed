#!/usr/bin/env python3
"""Compare EBM Lab's engine with PyTorch on the same machine, side by side.

Usage: /usr/bin/python3 bench/compare.py [ROUNDS]     (ROUNDS defaults to 3)

Run from the repository root; `make bench` does. The script

  1. extracts Debian's OpenMP build of OpenBLAS (libopenblas0-openmp, fetched
     with `apt-get download`) into a temporary directory and points PyTorch
     at it with LD_LIBRARY_PATH, leaving the system's BLAS alternative alone;
  2. builds bench/ebmbench (with OpenBLAS, as `make build` does) and
     bench/fmapeak/fmapeak.c;
  3. at 1 and then 2 threads, runs ebmbench and bench/torch_reference.py
     alternately, ROUNDS times each, noting the load average before each run;
  4. prints, for every figure, the medians over the rounds as
     `FIGURE threads=T ours=X torch=Y ratio=X/Y`, then one core's measured
     FMA peak and the fraction of it that mnist-cnn Langevin reaches.

PyTorch comes from Debian's python3-torch (`bash scripts/install-deps.sh
bench`), so the script must run under /usr/bin/python3.
"""
import glob
import os
import statistics
import subprocess
import sys
import tempfile

FIGURES = [
    "mnist-cnn.langevin_sample_steps_per_s",
    "mnist-cnn.langevin_gflops_per_s",
    "mnist-cnn.train_iterations_per_s",
    "2d-mlp.langevin_sample_steps_per_s",
    "2d-mlp.langevin_gflops_per_s",
    "2d-mlp.train_iterations_per_s",
]
THREADS = (1, 2)


def parse(output):
    """Return {name: value} from `name value unit` lines, skipping # lines."""
    figures = {}
    for line in output.splitlines():
        fields = line.split()
        if len(fields) == 3 and not line.startswith("#"):
            figures[fields[0]] = float(fields[1])
    return figures


def run(command, env=None):
    """Run command and return its standard output; raise if it fails."""
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"compare.py: {' '.join(command)} failed with exit status "
                 f"{done.returncode}:\n{done.stderr}")
    return done.stdout


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def openmp_openblas(tmp):
    """Extract libopenblas0-openmp into tmp and return its library directory."""
    run(["sh", "-c", f"cd {tmp} && apt-get download libopenblas0-openmp"])
    deb, = glob.glob(os.path.join(tmp, "libopenblas0-openmp_*.deb"))
    run(["dpkg", "-x", deb, os.path.join(tmp, "root")])
    lib, = glob.glob(os.path.join(tmp, "root/usr/lib/*/openblas-openmp"))
    return lib


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory(prefix="ebmbench-") as tmp:
        torch_env = dict(os.environ, LD_LIBRARY_PATH=openmp_openblas(tmp))
        ours_bin = os.path.join(tmp, "ebmbench")
        peak_bin = os.path.join(tmp, "fmapeak")
        go_env = dict(os.environ, CGO_LDFLAGS="-lopenblas")
        run(["go", "build", "-tags", "openblas", "-o", ours_bin, "./bench/ebmbench"], env=go_env)
        run(["gcc", "-O2", "-o", peak_bin, "bench/fmapeak/fmapeak.c"])

        cpu = run(["sh", "-c", "lscpu | grep 'Model name'"]).strip()
        print(f"# {cpu}")
        peaks = [parse(run([peak_bin])) for _ in range(3)]
        peak = max(max(p.values()) for p in peaks)
        print(f"# one core's fp32 FMA peak, best of 3: {peak:.1f} GFLOP/s (load {load()})")

        medians, round_ratios = {}, {}
        for threads in THREADS:
            samples = {"ours": [], "torch": []}
            for r in range(rounds):
                for side, command, env in (
                        ("ours", [ours_bin, str(threads)],
                         dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))),
                        ("torch", ["/usr/bin/python3", "bench/torch_reference.py", str(threads)], torch_env)):
                    before = load()
                    figures = parse(run(command, env=env))
                    samples[side].append(figures)
                    print(f"# threads {threads} round {r + 1} {side}: load {before}, "
                          + ", ".join(f"{name} {figures[name]:g}" for name in FIGURES), flush=True)
            for side, runs in samples.items():
                for name in FIGURES:
                    medians[threads, side, name] = statistics.median(f[name] for f in runs)
            # The ratio within each round cancels load that changes slowly.
            for name in FIGURES:
                round_ratios[threads, name] = [o[name] / t[name] for o, t in zip(samples["ours"], samples["torch"])]

        for threads in THREADS:
            for name in FIGURES:
                ours, torch = medians[threads, "ours", name], medians[threads, "torch", name]
                print(f"{name} threads={threads} ours={ours:g} torch={torch:g} ratio={ours / torch:.2f}")
                ratios = round_ratios[threads, name]
                print(f"# {name} threads={threads} ratio in each round: "
                      + " ".join(f"{r:.2f}" for r in ratios) + f", median {statistics.median(ratios):.2f}")
        gflops = medians[1, "ours", "mnist-cnn.langevin_gflops_per_s"]
        print(f"mnist-cnn.langevin_peak_fraction threads=1 ours={gflops / peak:.3f} "
              f"torch={medians[1, 'torch', 'mnist-cnn.langevin_gflops_per_s'] / peak:.3f} "
              f"peak={peak:.1f}GFLOP/s")


if __name__ == "__main__":
    main()
