# Second stage of the test VM, PID 1 on the host's root (overlay over 9p), run by busybox sh from the job share.
# Runs /run/job/command.sh in the host's working directory (/run/job/cwd) with a clean environment, writes its exit
# status to /run/job/exit-code and powers off. Two kinds of guest (run-in-vm.sh writes which to /run/job/init):
# - busybox (the default): this script stays PID 1, sets up a pure cgroup-v2 system itself and runs the command;
# - systemd: this script execs Debian's systemd as PID 1 into berth-vm.target, whose one service runs this script
#   again with the argument `job` to run the command (systemd mounts cgroup2 and the API filesystems itself).
# The `berth-vm:` lines on the console mark boot and run time for the host.
B=/bin/busybox
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

run_job() {
  echo "berth-vm: ready after $($B cut -d' ' -f1 /proc/uptime) s ($($B uname -r), $($B nproc) CPUs, cgroup2 controllers: $($B cat /sys/fs/cgroup/cgroup.subtree_control))"
  if cd "$($B cat /run/job/cwd)"; then
    $B env -i PATH="$PATH" HOME=/root TERM=dumb LANG=C.UTF-8 \
      DOTNET_CLI_HOME=/root DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
      DOTNET_GENERATE_ASPNET_CERTIFICATE=0 BERTH_VM=1 BERTH_VM_OUT=/run/job/out BERTH_VM_SCRATCH=/run/scratch \
      /bin/bash /run/job/command.sh < /dev/null
    status=$?
  else
    echo "berth-vm: the working directory $($B cat /run/job/cwd) is not visible in the guest"
    status=255
  fi
  echo "$status" > /run/job/exit-code
  echo "berth-vm: exit $status after $($B cut -d' ' -f1 /proc/uptime) s"
  $B sync # the job share has no cache: the exit code is on the host now
}

# overlayfs refuses an upper dir on overlayfs: engine data roots go to this tmpfs ($BERTH_VM_SCRATCH). /tmp and
# /var/tmp stay the host's (under the overlay), so a checkout there is visible.
scratch() {
  $B mkdir -p /run/scratch /root
  $B mount -t tmpfs -o mode=1777 scratch /run/scratch
}

if [ "${1:-}" = job ]; then
  # The job service under systemd: PID 1 is systemd, the command runs in this service's cgroup.
  run_job
  $B poweroff -f # reboot(2) at once: the job is over, nothing else needs a clean stop
fi

if [ "$($B cat /run/job/init 2>/dev/null)" = systemd ]; then
  scratch
  # The job as the only thing the boot wants: berth-vm.target instead of the host's default target (which would start
  # its docker, podman and timers). The job service has systemd's default dependencies, so sysinit.target is up before
  # it runs, as on a real boot (trimmed below). Units in /etc vanish with the overlay.
  $B cat > /etc/systemd/system/berth-vm.target <<UNIT
[Unit]
Description=Berth test VM
Requires=berth-vm-job.service
AllowIsolate=yes
UNIT
  $B cat > /etc/systemd/system/berth-vm-job.service <<UNIT
[Unit]
Description=Berth test VM job (/run/job/command.sh)

[Service]
Type=exec
ExecStart=/bin/busybox sh /run/job/guest-init.sh job
StandardInput=null
StandardOutput=tty
StandardError=inherit
TTYPath=/dev/console
TTYReset=no
TTYVHangup=no
UNIT
  # A lean boot under TCG, where every exec costs ~0.4 s (measured 100 s to boot the host's units under load): no
  # generators (they scan fstab, init.d, GPT, ...), and of sysinit.target's units only journald (`systemctl status`
  # and `journalctl -u` read it); the rest set up what this VM lacks or the checks do not use (modprobe@: the host's
  # modules do not match the guest kernel; tmpfiles' boot clean-up would walk the host's /tmp; random seed, sysctl,
  # binfmt, pcrphase, firstboot, ...). The host's /.dockerenv would make systemd believe it runs in a container.
  $B mkdir -p /etc/systemd/system-generators
  for generator in /lib/systemd/system-generators/* /usr/lib/systemd/system-generators/*; do
    [ -e "$generator" ] && $B ln -sf /dev/null "/etc/systemd/system-generators/${generator##*/}"
  done
  for unit in /lib/systemd/system/sysinit.target.wants/* /etc/systemd/system/sysinit.target.wants/* \
      /lib/systemd/system/local-fs.target.wants/* modprobe@.service systemd-remount-fs.service; do
    unit=${unit##*/}
    case "$unit" in '*'|systemd-journald*) continue;; esac
    $B ln -sf /dev/null "/etc/systemd/system/$unit"
  done
  $B rm -f /.dockerenv
  echo "berth-vm: starting systemd after $($B cut -d' ' -f1 /proc/uptime) s"
  exec /lib/systemd/systemd --unit=berth-vm.target --show-status=no --log-target=console --log-level=warning --log-time=yes
fi

$B mkdir -p /dev/pts /dev/shm /dev/mqueue
$B mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts
$B mount -t tmpfs -o mode=1777,nosuid,nodev shm /dev/shm
$B mount -t mqueue mqueue /dev/mqueue
$B mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
# Every controller for the root's children (the root cgroup itself may hold processes).
for controller in $($B cat /sys/fs/cgroup/cgroup.controllers); do
  echo "+$controller" > /sys/fs/cgroup/cgroup.subtree_control || echo "berth-vm: cannot enable $controller"
done
scratch
$B hostname berth-vm
$B ip link set lo up
run_job
$B poweroff -f
