"""The websocket side outside the core: the endpoint that admits a connection into a room, the
registry of open connections, the sweep that ends sessions and idle sockets, memory upkeep,
and our subclass of uvicorn's websocket protocol."""
