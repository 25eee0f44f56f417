"""PyTorch's forward-pass times for the cases of benches/forward.rs: eval mode,
no_grad, the same batch sizes and thread count. Prints `name batch ms` lines
(median of RUNS runs after a warm-up). Run by bench/forward.sh."""
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

torch.set_num_threads(int(os.environ.get("THREADS", "2")))
RUNS = int(os.environ.get("RUNS", "11"))


class Digits(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def median_ms(model, shape):
    model.eval()
    x = torch.rand(shape)
    with torch.no_grad():
        model(x)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - start) * 1e3)
    return sorted(times)[len(times) // 2]


print(f"resnet18 1 {median_ms(torchvision.models.resnet18(), (1, 3, 224, 224)):.1f}")
print(f"resnet18 8 {median_ms(torchvision.models.resnet18(), (8, 3, 224, 224)):.1f}")
print(f"mobilenet_v2 1 {median_ms(torchvision.models.mobilenet_v2(), (1, 3, 224, 224)):.1f}")
print(f"digits 450 {median_ms(Digits(), (450, 1, 8, 8)):.2f}")
sys.stdout.flush()
