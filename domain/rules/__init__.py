"""Rules staff edit at run time: triggers, conditions, actions and the engine that runs them."""
