"""Train a small CNN on scikit-learn's bundled 8x8 digits and export it.

Produces, next to this script:
  digits.safetensors       model.state_dict() (eval mode, after training)
  digits.pt                the same state_dict via torch.save (zip format)
  digits_test.safetensors  held-out set: images [N,1,8,8] f32 (pixels / 16),
                           labels [N] i64, logits [N,10] f32 (PyTorch eval output)
  digits_test.json         count, correct, accuracy, predictions, torch version,
                           max_abs_logit for the held-out set

Training is deterministic (fixed seed, one thread, deterministic algorithms).
Rerun from the repo root with:
    /usr/bin/python3 examples/data/train_digits.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

OUT = os.path.dirname(os.path.abspath(__file__))


class Digits(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, bias=False)  # the batch norm after it cancels a bias
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):  # x: [N, 1, 8, 8], pixel values / 16.0 (so in [0, 1])
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


def main():
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    digits = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(
        digits.images, digits.target, test_size=0.25, random_state=0, stratify=digits.target
    )
    to_x = lambda a: torch.tensor(a, dtype=torch.float32).unsqueeze(1) / 16.0
    x_tr, x_te = to_x(x_tr), to_x(x_te)
    y_tr, y_te = torch.tensor(y_tr, dtype=torch.int64), torch.tensor(y_te, dtype=torch.int64)

    model = Digits()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for epoch in range(20):
        model.train()
        for idx in torch.randperm(len(x_tr)).split(64):
            opt.zero_grad()
            F.cross_entropy(model(x_tr[idx]), y_tr[idx]).backward()
            opt.step()

    model.eval()
    with torch.no_grad():
        logits = model(x_te)
    preds = logits.argmax(1)
    correct = int((preds == y_te).sum())
    n = len(y_te)

    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, os.path.join(OUT, "digits.safetensors"))
    torch.save(model.state_dict(), os.path.join(OUT, "digits.pt"))
    save_file(
        {"images": x_te.contiguous(), "labels": y_te.contiguous(), "logits": logits.contiguous()},
        os.path.join(OUT, "digits_test.safetensors"),
    )
    with open(os.path.join(OUT, "digits_test.json"), "w") as f:
        json.dump(
            {
                "count": n,
                "correct": correct,
                "accuracy": correct / n,
                "predictions": preds.tolist(),
                "torch": torch.__version__,
                "max_abs_logit": float(logits.abs().max()),
            },
            f,
        )
        f.write("\n")
    print(f"test accuracy: {correct}/{n} = {correct / n:.4f}")


if __name__ == "__main__":
    main()
