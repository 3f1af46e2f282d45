"""The Excel add-in file ``thidua.xlam``: ribbon XML, VBA sources and the build that packs them."""
