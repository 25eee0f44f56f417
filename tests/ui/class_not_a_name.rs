// `#[class]` takes a class name in quotes.
netshape::network! {
    pub struct Net {
        input: [3, 32, 32],
        #[class = "Conv2d Norm"]
        stem: [Conv2d(3, 16, 3), BatchNorm2d(16)],
    }
}

fn main() {}
