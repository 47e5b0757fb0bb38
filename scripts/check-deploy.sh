#!/usr/bin/env bash
# Checks the files under deploy/ the way an operator would install them:
# Prometheus config and rules (promtool check config, promtool test rules),
# Alertmanager (amtool check-config), the systemd units (systemd-analyze
# verify in a scratch root holding the installed paths) and nginx (nginx -t
# with the site and its example snippets under a scratch conf dir).
# Takes a few seconds; no process stays running.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

echo "== promtool check config / test rules"
promtool check config deploy/prometheus/prometheus.yml
promtool test rules deploy/prometheus/tests/pillivery_test.yml

echo "== amtool check-config"
amtool check-config deploy/alertmanager/alertmanager.yml

echo "== systemd-analyze verify"
sysroot="$scratch/root"
mkdir -p "$sysroot/usr/local/bin" "$sysroot/usr/local/lib/pillivery" "$sysroot/etc/systemd/system" "$sysroot/usr/lib/systemd"
cp -r /lib/systemd/system "$sysroot/usr/lib/systemd/"
# Stand-in for the built binary (its presence and mode is what verify checks).
install -m 0755 /bin/true "$sysroot/usr/local/bin/pillivery"
install -m 0755 deploy/bin/pillivery-batch-run "$sysroot/usr/local/lib/pillivery/"
cp deploy/systemd/* "$sysroot/etc/systemd/system/"
out="$(systemd-analyze verify --root="$sysroot" "$sysroot"/etc/systemd/system/pillivery-* 2>&1)" || { echo "$out"; exit 1; }
# verify exits 0 on unknown keys and the like: any message is a failure.
if [ -n "$out" ]; then echo "$out"; exit 1; fi
echo "units OK: $(ls deploy/systemd | tr '\n' ' ')"

echo "== nginx -t"
conf="$scratch/nginx"
mkdir -p "$conf/logs"
cp -r deploy/nginx/pillivery "$conf/"
sed -i "s#/var/log/nginx/#$conf/logs/#" "$conf/pillivery/access-log.conf"
cat >"$conf/nginx.conf" <<NGINX
pid $conf/nginx.pid;
error_log $conf/logs/error.log;
events {}
http {
  include /etc/nginx/mime.types;
  include $root/deploy/nginx/pillivery.conf;
}
NGINX
nginx -t -q -p "$conf" -c "$conf/nginx.conf"
echo "nginx configuration OK"
