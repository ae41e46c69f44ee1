// Package doubles counts adjacent equal elements.
package doubles
