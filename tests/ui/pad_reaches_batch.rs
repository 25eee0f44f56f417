use netshape::network;

network! {
    pub struct Net {
        input: [16],
        pad: ConstantPad2d(1, 0.0),
    }
}

fn main() {}
