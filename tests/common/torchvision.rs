//! The torchvision models `examples/` transcribes, for the tests that compare
//! them with torchvision's own numbers.

#[allow(dead_code)]
#[path = "../../examples/alexnet.rs"]
pub mod alexnet;
#[allow(dead_code)]
#[path = "../../examples/convnext_tiny.rs"]
pub mod convnext_tiny;
#[allow(dead_code)]
#[path = "../../examples/densenet121.rs"]
pub mod densenet121;
#[allow(dead_code)]
#[path = "../../examples/efficientnet_b0.rs"]
pub mod efficientnet_b0;
#[allow(dead_code)]
#[path = "../../examples/googlenet.rs"]
pub mod googlenet;
#[allow(dead_code)]
#[path = "../../examples/inception_v3.rs"]
pub mod inception_v3;
#[allow(dead_code)]
#[path = "../../examples/mnasnet1_0.rs"]
pub mod mnasnet1_0;
#[allow(dead_code)]
#[path = "../../examples/mobilenet_v2.rs"]
pub mod mobilenet_v2;
#[allow(dead_code)]
#[path = "../../examples/r3d_18.rs"]
pub mod r3d_18;
#[allow(dead_code)]
#[path = "../../examples/resnet152.rs"]
pub mod resnet152;
#[allow(dead_code)]
#[path = "../../examples/resnet18.rs"]
pub mod resnet18;
#[allow(dead_code)]
#[path = "../../examples/resnet50.rs"]
pub mod resnet50;
#[allow(dead_code)]
#[path = "../../examples/shufflenet_v2_x1_0.rs"]
pub mod shufflenet_v2_x1_0;
#[allow(dead_code)]
#[path = "../../examples/squeezenet1_0.rs"]
pub mod squeezenet1_0;
#[allow(dead_code)]
#[path = "../../examples/vgg11_bn.rs"]
pub mod vgg11_bn;
#[allow(dead_code)]
#[path = "../../examples/vgg16.rs"]
pub mod vgg16;
#[allow(dead_code)]
#[path = "../../examples/vit_b_16.rs"]
pub mod vit_b_16;
