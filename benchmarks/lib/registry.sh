# Sourced by the benchmarks: starts docker-registry (the Debian package, distribution 2.8) on a free loopback port,
# storing under DIR/registry, and sets `registry` (127.0.0.1:PORT) and `registry_pid` for the caller's cleanup.
# Exits 1 with the registry's log when it does not answer within 10 s.
start_registry() {
  local dir="$1" port up=''
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  registry="127.0.0.1:$port"
  printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s/registry}}\nhttp: {addr: %s}\n' "$dir" "$registry" >"$dir/registry.yml"
  docker-registry serve "$dir/registry.yml" >"$dir/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 50); do curl -fsS "http://$registry/v2/" >/dev/null 2>&1 && { up=1; break; }; sleep 0.2; done
  [[ -n "$up" ]] || { cat "$dir/registry.log" >&2; echo "docker-registry did not answer on $registry within 10 s (log above)" >&2; exit 1; }
}
