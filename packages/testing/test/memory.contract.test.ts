import { Memory } from "@copkit/testing"
import { StorageContract } from "@copkit/testing/contracts"

StorageContract.suite("the in-memory store", Memory.layerStorage)
