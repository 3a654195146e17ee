"""ros1qa: verbatim, cited answers from trusted ROS1+ cancer patient-education pages."""

__version__ = "0.1.0"
