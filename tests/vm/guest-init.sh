# Second stage of the test VM, PID 1 on the host's root (overlay over 9p), run by busybox sh from the job share.
# Sets up a pure cgroup-v2 system, runs /run/job/command.sh in the host's working directory (/run/job/cwd) with a
# clean environment, writes its exit status to /run/job/exit-code and powers off. The `berth-vm:` lines on the
# console mark boot and run time for the host.
B=/bin/busybox
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

$B mkdir -p /dev/pts /dev/shm /dev/mqueue
$B mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts
$B mount -t tmpfs -o mode=1777,nosuid,nodev shm /dev/shm
$B mount -t mqueue mqueue /dev/mqueue
$B mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
# Every controller for the root's children (the root cgroup itself may hold processes).
for controller in $($B cat /sys/fs/cgroup/cgroup.controllers); do
  echo "+$controller" > /sys/fs/cgroup/cgroup.subtree_control || echo "berth-vm: cannot enable $controller"
done
# overlayfs refuses an upper dir on overlayfs: engine data roots go to this tmpfs ($BERTH_VM_SCRATCH). /tmp and
# /var/tmp stay the host's (under the overlay), so a checkout there is visible.
$B mkdir -p /run/scratch /root
$B mount -t tmpfs -o mode=1777 scratch /run/scratch
$B hostname berth-vm
$B ip link set lo up

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
$B poweroff -f
