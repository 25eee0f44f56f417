// `#[class]` names an `nn.Sequential` subclass; a conv is no sequence.
netshape::network! {
    pub struct Net {
        input: [3, 32, 32],
        #[class = "Conv2dNormActivation"]
        conv: Conv2d(3, 16, 3),
    }
}

fn main() {}
