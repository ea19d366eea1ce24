# `import scenario` is scenario_rs at run time (an import hook); this tells type checkers.
from scenario_rs.sequences import *
