// LibTorch's intra-op thread count is process-wide (torch.set_num_threads), and training sets it.
// A test class running beside another one that sets a different count changes how reductions are
// split, so "same seed, same weights" would fail for a reason that is not the trainer's.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
