"""Panel/Bokeh views of a PlaygroundState: the only modules that import Panel or Bokeh."""
