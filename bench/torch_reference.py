#!/usr/bin/env python3
"""Time in PyTorch (CPU, float32) the work that bench/ebmbench times in EBM Lab.

Usage: python3 bench/torch_reference.py [THREADS]    (THREADS defaults to 1)

Output: one "name value unit" line per figure, with the names that ebmbench
prints; lines that start with "#" describe the setup. The data is synthetic.
Timing: Langevin throughput is measured after one warm-up run over at least
3 runs and 3 s; training throughput over 5 iterations after one warm-up.
"""
import os
import sys
import time

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
# The thread pools read these when torch loads, so set them first.
for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[name] = str(threads)

import torch  # noqa: E402
from torch import nn  # noqa: E402

MIN_RUNS, MIN_SECONDS, TRAIN_ITERATIONS = 3, 3.0, 5


def cnn():
    """mnist-cnn: 1x28x28 -> energy, four stride-2 convolutions with SiLU."""
    layers = []
    for c_in, c_out, kernel, pad in ((1, 16, 5, 4), (16, 32, 3, 1), (32, 64, 3, 1), (64, 64, 3, 1)):
        layers += [nn.Conv2d(c_in, c_out, kernel, stride=2, padding=pad), nn.SiLU()]
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(256, 64), nn.SiLU(), nn.Linear(64, 1))


def mlp():
    """2d-mlp: 2 -> 128 -> 128 -> 128 -> 1 with SiLU."""
    return nn.Sequential(nn.Linear(2, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(),
                         nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 1))


def flops_per_sample(net, shape):
    """Return 2 x the multiply-adds of the Conv2d and Linear layers for one sample."""
    total = [0]

    def count(layer, _inputs, output):
        if isinstance(layer, nn.Conv2d):
            kh, kw = layer.kernel_size
            total[0] += output[0].numel() * (layer.in_channels // layer.groups) * kh * kw
        elif isinstance(layer, nn.Linear):
            total[0] += layer.in_features * layer.out_features

    hooks = [layer.register_forward_hook(count) for layer in net.modules()]
    with torch.no_grad():
        net(torch.zeros(1, *shape))
    for hook in hooks:
        hook.remove()
    return 2 * total[0]


def sample(net, x, steps, step_size, noise, clip=None, box=None):
    """Run Langevin steps x <- clamp(x - step_size*clip(dE/dx) + noise*N(0, I))."""
    net.requires_grad_(False)
    for _ in range(steps):
        x = x.detach().requires_grad_(True)
        grad, = torch.autograd.grad(net(x).sum(), x)
        if clip is not None:
            grad = grad.clamp(-clip, clip)
        x = x.detach() - step_size * grad + noise * torch.randn_like(x)
        if box is not None:
            x = x.clamp(*box)
    net.requires_grad_(True)
    return x.detach()


def iterate(net, opt, data, buffer, batch, sampler, lo, hi, alpha=0.1, reinit=0.05):
    """Run one contrastive-divergence iteration with a replay buffer."""
    real = data[torch.randint(0, len(data), (batch,))]
    slots = torch.randint(0, len(buffer), (batch,))
    start = buffer[slots]
    start[:round(reinit * batch)].uniform_(lo, hi)
    fake = sampler(net, start)
    energy = net(torch.cat([real, fake]))
    e_real, e_fake = energy[:batch], energy[batch:]
    loss = e_real.mean() - e_fake.mean() + alpha * (e_real.pow(2) + e_fake.pow(2)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    buffer[slots] = fake


def measure(name, net, shape, data, batch, steps, sampler, lr, lo, hi):
    flops = flops_per_sample(net, shape)
    print(f"{name}.forward_flops_per_sample {flops} flop")

    x0 = torch.empty(batch, *shape).uniform_(lo, hi)
    sampler(net, x0)
    runs, start = 0, time.perf_counter()
    while runs < MIN_RUNS or time.perf_counter() - start < MIN_SECONDS:
        sampler(net, x0)
        runs += 1
    rate = runs * batch * steps / (time.perf_counter() - start)
    print(f"{name}.langevin_sample_steps_per_s {rate:.1f} 1/s")
    # A sample-step is a forward pass and an input gradient: 2 x forward FLOPs.
    print(f"{name}.langevin_gflops_per_s {2 * rate * flops / 1e9:.2f} GFLOP/s")

    buffer = torch.empty(8192, *shape).uniform_(lo, hi)
    opt = torch.optim.Adam(net.parameters(), lr=lr, betas=(0.0, 0.999))
    iterate(net, opt, data, buffer, batch, sampler, lo, hi)
    start = time.perf_counter()
    for _ in range(TRAIN_ITERATIONS):
        iterate(net, opt, data, buffer, batch, sampler, lo, hi)
    print(f"{name}.train_iterations_per_s {TRAIN_ITERATIONS / (time.perf_counter() - start):.3f} 1/s")


def main():
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]})
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"blas {[os.path.realpath(lib) for lib in libs]}")

    images = 2 * torch.rand(2048, 1, 28, 28) - 1
    measure("mnist-cnn", cnn(), (1, 28, 28), images, 128, 60,
            lambda net, x: sample(net, x, 60, 10.0, 0.005, clip=0.03, box=(-1.0, 1.0)),
            lr=1e-4, lo=-1.0, hi=1.0)

    angles = torch.randint(0, 8, (8192,)).float() * (torch.pi / 4)
    points = 2.0 * torch.stack([angles.cos(), angles.sin()], dim=1) + 0.02 * torch.randn(8192, 2)
    measure("2d-mlp", mlp(), (2,), points, 1024, 100,
            lambda net, x: sample(net, x, 100, 0.01, 0.02 ** 0.5),
            lr=1e-3, lo=-3.0, hi=3.0)


if __name__ == "__main__":
    main()
