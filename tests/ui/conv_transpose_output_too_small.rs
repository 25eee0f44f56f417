use netshape::network;

network! {
    pub struct Decoder {
        input: [8, 3, 3],
        up: ConvTranspose2d(8, 4, kernel_size = 1, padding = 2),
    }
}

fn main() {}
