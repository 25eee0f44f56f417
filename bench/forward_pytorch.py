"""PyTorch's side of bench/forward.sh: the models of benches/forward.rs in
PyTorch (torchvision's where there is one), eval mode, inference_mode,
random weights. Run by bench/forward.sh, one process per case and thread
count, with THREADS set (and OMP_NUM_THREADS and OPENBLAS_NUM_THREADS: this
PyTorch's BLAS is OpenBLAS, whose own threads `torch.set_num_threads` does not
limit).

    forward_pytorch.py save NAME DIR        writes DIR/NAME.pt, the state_dict
    forward_pytorch.py run NAME BATCH DIR   times loading it, then the forward pass
    forward_pytorch.py baseline             the peak memory of this script's imports

`run` prints `name batch threads median_ms runs load_ms peak_kb`, as the Rust
side does: the load is `torch.load` of the state_dict and `load_state_dict`
into a model built beforehand (building it, with its random initialisation,
is not timed); `peak_kb` is the process's VmHWM, the Python interpreter and
the libraries included (see `baseline`).

Timing, the same rule as the Rust side's: warm-up runs until at least one run
and one second, then max(RUNS, 2 s / warm-up median) timed runs (at most
1000; RUNS defaults to 20), and their median.
"""
import os
import sys
import time
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

warnings.filterwarnings("ignore")

THREADS = int(os.environ.get("THREADS", "2"))
RUNS = int(os.environ.get("RUNS", "20"))
BUDGET_SECS = 2.0
WARM_UP_SECS = 1.0
MAX_RUNS = 1000
VOCAB = 10000
torch.set_num_threads(THREADS)


class Net(nn.Module):
    """examples/lenet.rs: the MNIST classifier of torchsummary's README."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)


class LstmLm(nn.Module):
    """benches/forward.rs's `LstmLm`: 10,000 words, two LSTM layers of 650."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, 650)
        self.lstm = nn.LSTM(650, 650, num_layers=2, batch_first=True)
        self.head = nn.Linear(650, VOCAB)

    def forward(self, tokens):
        x, _ = self.lstm(self.embed(tokens))
        return self.head(x)


class Encoder(nn.Module):
    """benches/forward.rs's `Encoder`: six encoder layers, d_model 512."""

    def __init__(self):
        super().__init__()
        layer = nn.TransformerEncoderLayer(512, 8, dim_feedforward=2048, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 6)

    def forward(self, x):
        return self.encoder(x)


class Digits(nn.Module):
    """examples/digits.rs."""

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


# name: (constructor, input shape without the batch, whether it takes token ids)
CASES = {
    "lenet": (Net, (1, 28, 28), False),
    "resnet18": (torchvision.models.resnet18, (3, 224, 224), False),
    "resnet50": (torchvision.models.resnet50, (3, 224, 224), False),
    "mobilenet_v2": (torchvision.models.mobilenet_v2, (3, 224, 224), False),
    "vgg16": (torchvision.models.vgg16, (3, 224, 224), False),
    "lstm_lm": (LstmLm, (35,), True),
    "transformer_encoder": (Encoder, (128, 512), False),
    "digits": (Digits, (1, 8, 8), False),
}


def peak_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def median(times):
    times = sorted(times)
    middle = len(times) // 2
    return times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2


def run(name, batch, directory):
    make, shape, tokens = CASES[name]
    model = make().eval()
    start = time.perf_counter()
    model.load_state_dict(torch.load(os.path.join(directory, f"{name}.pt")))
    load_ms = (time.perf_counter() - start) * 1e3
    torch.manual_seed(0)
    x = torch.randint(0, VOCAB, (batch, *shape)) if tokens else torch.rand((batch, *shape))
    with torch.inference_mode():

        def once():
            start = time.perf_counter()
            model(x)
            return time.perf_counter() - start

        warm_up = []
        while not warm_up or (sum(warm_up) < WARM_UP_SECS and len(warm_up) < 50):
            warm_up.append(once())
        runs = min(max(RUNS, int(BUDGET_SECS / median(warm_up))), max(MAX_RUNS, RUNS))
        times = [once() for _ in range(runs)]
    print(f"{name} {batch} {torch.get_num_threads()} {median(times) * 1e3:.4f} {runs} {load_ms:.1f} {peak_kb()}")


def main(args):
    if args[:1] == ["save"] and len(args) == 3:
        torch.manual_seed(0)
        torch.save(CASES[args[1]][0]().state_dict(), os.path.join(args[2], f"{args[1]}.pt"))
    elif args[:1] == ["run"] and len(args) == 4:
        run(args[1], int(args[2]), args[3])
    elif args == ["baseline"]:
        print(peak_kb())
    else:
        sys.exit(__doc__)
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
