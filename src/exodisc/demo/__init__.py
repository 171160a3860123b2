"""The built-in example study (seed-study design, simulated raw files)."""

from exodisc.demo._build import DEMO_SEED, build_demo, demo_design

__all__ = ["DEMO_SEED", "build_demo", "demo_design"]
