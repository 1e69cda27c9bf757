/** What the loader shows of itself over HTTP: health checks only (the operator API is review-gateway's). */
package dev.cascade.loader.api;
