use netshape::network;

network! {
    pub struct Decoder {
        input: [64, 7, 7],
        up: ConvTranspose2d(64, 32, kernel_size = 4, stride = 2, padding = 1, output_padding = 2),
    }
}

fn main() {}
