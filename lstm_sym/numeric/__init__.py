"""Numbers from the cell model: the compiled program, backends, traces, gradients, weights."""
