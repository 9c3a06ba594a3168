# The library's layers: one folder of src/wharf each, lowest first. A folder may include only
# itself, the folders it DEPENDS on and, through them, theirs; never one above it.
# The build makes each layer its own static library linking only these (src/CMakeLists.txt),
# and the test command checks every `#include "wharf/<folder>/…"` against this table
# (tools/check_layers.cmake). ARCHITECTURE.md shows the same table; the check compares them.
# A new folder is one line here.
wharf_layer(core)
wharf_layer(util DEPENDS core)
wharf_layer(output DEPENDS core)
wharf_layer(git DEPENDS util)
wharf_layer(pin DEPENDS git)
wharf_layer(release DEPENDS pin)
wharf_layer(stack DEPENDS pin)
wharf_layer(http DEPENDS util)
wharf_layer(registry DEPENDS http)
wharf_layer(transport DEPENDS util)
wharf_layer(engine DEPENDS http transport)
wharf_layer(ssh DEPENDS transport)
wharf_layer(connect DEPENDS engine ssh)
wharf_layer(dispatch DEPENDS output)
wharf_layer(backends/engine DEPENDS dispatch engine)
wharf_layer(workers DEPENDS backends/engine connect)
wharf_layer(backends DEPENDS workers)
wharf_layer(runtime DEPENDS engine stack)
wharf_layer(images DEPENDS registry runtime)
wharf_layer(update DEPENDS images)
