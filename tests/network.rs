//! What `network!` expands to: consts, layers, the state_dict manifest, typed
//! fields, the `Network` impl and docs, checked against PyTorch's numbers.

use netshape::{network, Network, StateEntry};

network! {
    /// The MNIST classifier from the torchsummary README.
    pub struct Mnist {
        input: [1, 28, 28],
        conv1: Conv2d(1, 10, kernel_size = 5),
        max_pool2d(2),
        relu(),
        conv2: Conv2d(10, 20, kernel_size = 5),
        conv2_drop: Dropout2d(),
        max_pool2d(2),
        relu(),
        view(-1, 320),
        fc1: Linear(320, 50),
        relu(),
        dropout(),
        fc2: Linear(50, 10),
        log_softmax(dim = 1),
    }
}

// Usable in const context.
const _: () = assert!(Mnist::TOTAL_PARAMS == 21_840);
const _: () = assert!(Mnist::OUTPUT_SHAPE[0] == 10);

#[test]
fn counts_and_shapes() {
    assert_eq!(Mnist::INPUT_SHAPE, [1, 28, 28]);
    assert_eq!(Mnist::OUTPUT_SHAPE, [10]);
    assert_eq!(Mnist::TOTAL_PARAMS, 21_840);
    assert_eq!(Mnist::TRAINABLE_PARAMS, 21_840);
    assert_eq!(Mnist::NON_TRAINABLE_PARAMS, 0);
    assert_eq!(Mnist::BUFFERS, 0);
}

#[test]
fn layers_in_call_order_with_functional_ops() {
    let kinds: Vec<_> = Mnist::LAYERS.iter().map(|layer| layer.kind).collect();
    assert_eq!(
        kinds,
        [
            "Conv2d",
            "max_pool2d",
            "relu",
            "Conv2d",
            "Dropout2d",
            "max_pool2d",
            "relu",
            "view",
            "Linear",
            "relu",
            "dropout",
            "Linear",
            "log_softmax"
        ]
    );
    let view = &Mnist::LAYERS[7];
    assert!(view.functional);
    assert_eq!((view.input, view.output), (&[20, 4, 4][..], &[320][..]));
    let conv2 = &Mnist::LAYERS[3];
    assert_eq!((conv2.name, conv2.input, conv2.output), ("conv2", &[10, 12, 12][..], &[20, 8, 8][..]));
    assert_eq!((conv2.params, conv2.trainable, conv2.buffers), (5_020, 5_020, 0));
}

#[test]
fn state_dict_manifest_in_pytorch_order() {
    let keys: Vec<_> = Mnist::STATE_DICT.iter().map(|entry| (entry.key, entry.shape)).collect();
    let expected: [(&str, &[usize]); 8] = [
        ("conv1.weight", &[10, 1, 5, 5]),
        ("conv1.bias", &[10]),
        ("conv2.weight", &[20, 10, 5, 5]),
        ("conv2.bias", &[20]),
        ("fc1.weight", &[50, 320]),
        ("fc1.bias", &[50]),
        ("fc2.weight", &[10, 50]),
        ("fc2.bias", &[10]),
    ];
    assert_eq!(keys, expected);
    let total: usize = Mnist::STATE_DICT.iter().map(StateEntry::numel).sum();
    assert_eq!(total, Mnist::TOTAL_PARAMS);
}

#[test]
fn typed_fields_carry_the_parameter_layout() {
    let net = Mnist::default();
    let _: netshape::nn::Conv2d<1, 10, 5, 5> = net.conv1;
    let _: netshape::nn::Conv2d<10, 20, 5, 5, 1, true> = net.conv2;
    let _: netshape::nn::Linear<320, 50> = net.fc1;
    let _: netshape::nn::Linear<50, 10, true> = net.fc2;
}

fn describe<N: Network>() -> (usize, &'static [usize], usize) {
    (N::TOTAL_PARAMS, N::OUTPUT_SHAPE, N::LAYERS.len())
}

#[test]
fn network_trait_for_generic_code() {
    assert_eq!(describe::<Mnist>(), (21_840, &[10][..], 13));
    let _: <Mnist as Network>::Input = netshape::Tensor3::<1, 28, 28>;
    let _: <Mnist as Network>::Output = netshape::Tensor1::<10>;
    assert_eq!(<Mnist as Network>::SUMMARY, Mnist::SUMMARY);
}

network! {
    const WIDTH: usize = 16;
    pub(crate) const CLASSES: usize = 10;

    /// Anonymous modules are numbered as `nn.Sequential` numbers them; batch
    /// norm keeps running statistics as buffers.
    struct Sequential {
        input: [3, 32, 32],
        Conv2d(3, WIDTH, 3, padding = 1, bias = false),
        BatchNorm2d(WIDTH),
        ReLU(inplace = true),
        MaxPool2d(2),
        bn: BatchNorm2d(WIDTH, affine = false),
        Flatten(),
        Linear(WIDTH * 16 * 16, CLASSES),
    }

    struct Second {
        input: [4],
        Linear(4, 2),
    }
}

#[test]
fn sequential_numbering_constants_and_buffers() {
    assert_eq!((WIDTH, CLASSES), (16, 10));
    let keys: Vec<_> = Sequential::STATE_DICT.iter().map(|entry| (entry.key, entry.shape, entry.buffer)).collect();
    let expected: [(&str, &[usize], bool); 11] = [
        ("0.weight", &[16, 3, 3, 3], false),
        ("1.weight", &[16], false),
        ("1.bias", &[16], false),
        ("1.running_mean", &[16], true),
        ("1.running_var", &[16], true),
        ("1.num_batches_tracked", &[], true),
        ("bn.running_mean", &[16], true),
        ("bn.running_var", &[16], true),
        ("bn.num_batches_tracked", &[], true),
        ("6.weight", &[10, 4096], false),
        ("6.bias", &[10], false),
    ];
    assert_eq!(keys, expected);
    assert_eq!(Sequential::TOTAL_PARAMS, 432 + 32 + 40_970);
    assert_eq!(Sequential::BUFFERS, 33 + 33);
    let fields = Sequential::default();
    let _: netshape::nn::Conv2d<3, 16, 3, 3, 1, false> = fields._0;
    let _: netshape::nn::BatchNorm2d<16> = fields._1;
    let _: netshape::nn::BatchNorm2d<16, false, true> = fields.bn;
    let _: netshape::nn::Linear<4096, 10> = fields._6;
    // The second network of the same invocation has its own manifest.
    assert_eq!(Second::STATE_DICT[0].key, "0.weight");
}

#[test]
fn summary_rows_are_modules_only() {
    let rows: Vec<_> = Sequential::SUMMARY.rows().map(|layer| layer.kind).collect();
    assert_eq!(rows, ["Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "BatchNorm2d", "Flatten", "Linear"]);
    assert!(Sequential::SUMMARY
        .to_string()
        .contains("       BatchNorm2d-5           [-1, 16, 16, 16]               0\n"));
}

mod no_prelude {
    #![no_implicit_prelude]

    // Generated code names everything by absolute path, so it works where
    // nothing is in scope and common names are shadowed.
    #[allow(dead_code, non_camel_case_types)]
    struct usize;
    #[allow(dead_code)]
    struct Option;
    #[allow(dead_code)]
    struct Default;

    ::netshape::network! {
        pub struct Shadowed {
            input: [8],
            fc: Linear(8, 4),
            softmax(dim = -1),
        }
    }
}

#[test]
fn works_without_the_prelude() {
    assert_eq!(no_prelude::Shadowed::TOTAL_PARAMS, 36);
}

network! {
    /// A decoder step as U-Nets write it: upsample to the skip's size, read
    /// from its shape (`F.interpolate(x, size=skip.shape[-2:])`), then join.
    pub struct ShapeReads {
        input: [8, 15, 15],
        let skip = [conv: Conv2d(8, 8, 3, padding = 1)],
        down: Conv2d(8, 16, 3, stride = 2),
        interpolate(size = skip.shape[-2..], mode = "bilinear", align_corners = false),
        cat([], skip, dim = 1),
        let x = [],
        view(x.size(0), x.size(1), -1),
    }

    /// torchvision's `int(planes * (base_width / 64.0)) * groups`, and a default
    /// computed from the parameter before it.
    block Bottleneck(planes, groups = 1, base_width = 64, width = int(planes * (base_width / 64.0)) * groups) {
        conv1: Conv2d(planes * 4, width, 1, bias = false),
        conv2: Conv2d(width, width, 3, padding = 1, groups = groups, bias = false),
        conv3: Conv2d(width, planes * 4, 1, bias = false),
    }

    pub struct Widths {
        input: [256, 7, 7],
        resnext: Bottleneck(64, groups = 32, base_width = 4),
        wide: Bottleneck(64, base_width = 128),
        rounded: Linear(7, round(7 * 1.5)),
    }

    /// A keyword as a module name, as `r#type`: PyTorch's key is `type`.
    pub struct Keyword {
        input: [4],
        r#type: Linear(4, 2),
    }
}

#[test]
fn shapes_read_in_expressions() {
    // `skip.shape[-2..]` is (15, 15): the stride-2 conv's 7×7 goes back to it.
    let up = ShapeReads::LAYERS.iter().find(|layer| layer.kind == "interpolate").unwrap();
    assert_eq!(up.output, [16, 15, 15]);
    assert_eq!(ShapeReads::OUTPUT_SHAPE, [24, 225]);
}

#[test]
fn python_conversions_and_defaults_from_earlier_parameters() {
    let shapes: Vec<_> = Widths::STATE_DICT.iter().map(|entry| (entry.key, entry.shape)).collect();
    // ResNeXt-50 32×4d's first block: int(64 · 4/64) · 32 = 128.
    assert_eq!(shapes[0], ("resnext.conv1.weight", &[128, 256, 1, 1][..]));
    assert_eq!(shapes[1], ("resnext.conv2.weight", &[128, 4, 3, 3][..]));
    // Wide ResNet: int(64 · 128/64) = 128.
    assert_eq!(shapes[3], ("wide.conv1.weight", &[128, 256, 1, 1][..]));
    // round(10.5) is 10, half to even as Python rounds.
    assert_eq!(shapes[6], ("rounded.weight", &[10, 7][..]));
    assert_eq!(Keyword::STATE_DICT[0].key, "type.weight");
}

network! {
    /// `self_attention(x, x, x, need_weights=False)`, as torchvision's ViT calls it.
    pub struct AttentionCalls {
        input: [10, 16],
        let x = [],
        quiet: MultiheadAttention(16, 4, batch_first = true)(x, x, x, need_weights = false),
        heads: MultiheadAttention(16, 4, batch_first = true)(x, x, x, average_attn_weights = false),
        plain: MultiheadAttention(16, 4, batch_first = true)(x, x, x),
    }
}

#[test]
fn keyword_arguments_of_a_call_shape_its_weights() {
    let weights = |name: &str| {
        let layer = AttentionCalls::LAYERS.iter().find(|layer| layer.name == name).unwrap();
        layer.extra_outputs.iter().map(|extra| extra.shape.to_vec()).collect::<Vec<_>>()
    };
    assert_eq!(weights("quiet"), Vec::<Vec<usize>>::new());
    assert_eq!(weights("heads"), [vec![4, 10, 10]]);
    assert_eq!(weights("plain"), [vec![10, 10]]);
}

network! {
    /// `self.add_module(f"block{i}-{i + 1}", nn.Linear(4, 4))`: names that are
    /// no identifiers, written as strings.
    pub struct Dashed {
        input: [4],
        for i in 0..2 {
            "block{i}-{i + 1}": Linear(4, 4),
        }
    }
}

#[test]
fn module_names_that_are_no_identifiers() {
    let keys: Vec<_> = Dashed::STATE_DICT.iter().map(|entry| entry.key).collect();
    assert_eq!(keys, ["block0-1.weight", "block0-1.bias", "block1-2.weight", "block1-2.bias"]);
    assert_eq!(Dashed::LAYERS[1].name, "block1-2");
}
