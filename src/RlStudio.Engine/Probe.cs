namespace RlStudio.Engine;
public static class Probe { public static float Sum() { using var t = TorchSharp.torch.ones(3); return t.sum().item<float>(); } }
