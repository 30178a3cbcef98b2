using System.Diagnostics;
using RlStudio.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;
static class ScratchProfile { public static int Run() {
var config = ModelConfig.Small;
var model = new CausalLm(config);
using var g = new Generator(1, CPU);
model.InitializeWeights(g);
var ps = model.parameters().ToArray();
var opt = optim.AdamW(ps, 1e-4, weight_decay: 0.01);
var tokens = randint(0, 259, [32, 65], generator: g);
static double T(Action a){ a(); var best=double.MaxValue; for(int i=0;i<3;i++){var c=Stopwatch.StartNew(); a(); best=Math.Min(best,c.Elapsed.TotalMilliseconds);} return best;}
var inputs = tokens.narrow(1,0,64); var targets=tokens.narrow(1,1,64);
var x = randn(32,64,384, requires_grad:true); var lin = nn.Linear(384,1152,hasBias:false);
Console.WriteLine($"linear fwd {T(()=>{using var s=NewDisposeScope(); lin.call(x);})}");
Console.WriteLine($"linear fwd+bwd {T(()=>{using var s=NewDisposeScope(); lin.call(x).sum().backward();})}");
var a = randn(512,512); var b = randn(512,512);
Console.WriteLine($"mm512 {T(()=>{using var c=a.matmul(b);})}");
var q = randn(32,6,64,64, requires_grad:true);
using var m = ones(64,64,dtype:ScalarType.Bool).tril().unsqueeze(0).unsqueeze(0).expand(32,1,64,64);
Console.WriteLine($"sdpa mask fwd+bwd {T(()=>{using var s=NewDisposeScope(); nn.functional.scaled_dot_product_attention(q,q,q,attn_mask:m).sum().backward();})}");
Console.WriteLine($"sdpa causal fwd+bwd {T(()=>{using var s=NewDisposeScope(); nn.functional.scaled_dot_product_attention(q,q,q,is_casual:true).sum().backward();})}");

var x2 = randn(2048,384); var w = randn(1152,384); var wt = w.t().contiguous(); var big=randn(1024,1024);
for (int r=0;r<2;r++){
Console.WriteLine($"mm512 {T(()=>{using var c=a.matmul(b);})}");
Console.WriteLine($"mm1024 {T(()=>{using var c=big.matmul(big);})/8}");
Console.WriteLine($"x2@wt contiguous {T(()=>{using var c=x2.matmul(wt);})/7}");
Console.WriteLine($"x2@w.t() {T(()=>{using var c=x2.matmul(w.t());})/7}");
Console.WriteLine($"linear3d nograd {T(()=>{using var ng=no_grad(); using var c=lin.call(x);})/7}");
}
return 0; } }
