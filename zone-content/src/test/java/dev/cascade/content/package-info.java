/** Round trips of zone content through a real Kafka broker and the real Apicurio registry. */
package dev.cascade.content;
