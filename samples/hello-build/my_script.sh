#!/bin/sh
echo "Hello from a Berth-built image"
cat /deps/installed.txt
