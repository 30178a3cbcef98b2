Console.WriteLine(RlStudio.Engine.Probe.Sum());
