use netshape::network;

network! {
    block Stage(channels) {
        Conv2d(channels, channels, 3, padding = 1),
        Tail(channels),
    }

    block Tail(channels) {
        relu(),
        Stage(channels),
    }

    pub struct Net {
        input: [8, 16, 16],
        Stage(8),
    }
}

fn main() {}
