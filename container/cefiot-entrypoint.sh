#!/bin/sh
# Entry point of the CEFIoT image: the same commands as ./cefiot (run STAGE..., kafka-node, ...),
# with the JVM options a pod sets in CEFIOT_JAVA_OPTS. JavaCPP unpacks the camera's native
# libraries under /tmp, the one writable place when the root filesystem is read-only.
# shellcheck disable=SC2086  # CEFIOT_JAVA_OPTS is a list of options: split on purpose
exec java ${CEFIOT_JAVA_OPTS:--Xmx256m} -Djava.awt.headless=true \
  -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp \
  -jar /opt/cefiot/cefiot.jar "$@"
