// One test at a time: each drives a silo and TorchSharp on a 2-core machine, and Spectre.Console allows one live display per process.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
