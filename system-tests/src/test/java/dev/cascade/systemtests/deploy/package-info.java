/**
 * Build checks of the deployment files (docker-compose.yml, the Helm chart and the plain manifests in deploy/k8s/)
 * against the code: the services, ports, topics and environment variables they name must be the ones the services
 * really have, because these files are hand-written (house-style §6) and would otherwise drift silently.
 */
package dev.cascade.systemtests.deploy;
