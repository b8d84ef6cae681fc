"""The perceptron lab (/perceptron): Rosenblatt's rule, one example at a time, on a set a
straight line separates and on one no line does."""
