// A U-Net whose skip connections line up only when the size is a multiple of
// 4: the smallest size where they do not is named, with the shapes there.
use netshape::network;

network! {
    block Double(inp, out) {
        Conv2d(inp, out, 3, padding = 1), ReLU(), Conv2d(out, out, 3, padding = 1), ReLU(),
    }

    pub struct UNet {
        input: [3, H = 64, W = 64] where H in 32..=512, W in 32..=512,
        let x1 = [inc: Double(3, 16)],
        x1,
        let x2 = [MaxPool2d(2), down1: Double(16, 32)],
        x2,
        MaxPool2d(2), down2: Double(32, 64),
        up2: ConvTranspose2d(64, 32, 2, stride = 2),
        cat(x2, [], dim = 1),
        conv2: Double(64, 32),
        up1: ConvTranspose2d(32, 16, 2, stride = 2),
        cat(x1, [], dim = 1),
        conv1: Double(32, 16),
        outc: Conv2d(16, 2, 1),
    }
}

fn main() {}
