"""Alliance analytics on networkx views of the graph: blocs, centrality, stance; GraphML/GEXF/CSV."""

from graphkg.analytics.views import *  # noqa: F403
from graphkg.analytics.views import __all__  # noqa: F401
