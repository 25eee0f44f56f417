// What netshape cannot follow over sizes that vary yet, each an error that
// says so: a size read from a shape outside a resize to that shape (it is
// fixed when the network is checked), a dim of two symbols (`flatten` of a
// map whose height and width vary), and a split along a dim that varies (the
// runtime splits at the sizes the program holds).
use netshape::network;

network! {
    pub struct ShapeRead {
        input: [8, H = 15, W = 15] where H in 8..=64, W in 8..=64,
        let skip = [conv: Conv2d(8, 8, 3, padding = 1)],
        down: Conv2d(8, 16, 3, stride = 2),
        AdaptiveAvgPool2d((skip.size(2), 1)),
    }

    pub struct TwoSymbols {
        input: [3, H = 32, W = 32] where H in 16..=64, W in 16..=64,
        Conv2d(3, 8, 3, padding = 1),
        flatten(1),
    }

    pub struct Split {
        input: [8, L = 16] where L in 2..=64, L % 2 == 0,
        let (first, second) = chunk(2, dim = 2),
        add(first, second),
    }
}

fn main() {}
