# Decodes a stream of length-delimited io.prometheus.client.MetricFamily messages with Debian's python3-protobuf,
# building the message types from the .proto text at run time (no protoc), and prints them as JSON. Doubles are
# printed as the 16 hex digits of their IEEE 754 bits, so a reader can compare them bit for bit.
import json
import re
import struct
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, timestamp_pb2
from google.protobuf import message_factory
from google.protobuf.descriptor import FieldDescriptor

SCALARS = {
    "double": FieldDescriptor.TYPE_DOUBLE, "float": FieldDescriptor.TYPE_FLOAT,
    "int64": FieldDescriptor.TYPE_INT64, "uint64": FieldDescriptor.TYPE_UINT64,
    "int32": FieldDescriptor.TYPE_INT32, "uint32": FieldDescriptor.TYPE_UINT32,
    "sint32": FieldDescriptor.TYPE_SINT32, "sint64": FieldDescriptor.TYPE_SINT64,
    "bool": FieldDescriptor.TYPE_BOOL, "string": FieldDescriptor.TYPE_STRING, "bytes": FieldDescriptor.TYPE_BYTES,
}
LABELS = {
    "optional": FieldDescriptor.LABEL_OPTIONAL, "repeated": FieldDescriptor.LABEL_REPEATED,
    "required": FieldDescriptor.LABEL_REQUIRED,
}


def file_descriptor(text):
    text = re.sub(r"//[^\n]*", "", text)
    package = re.search(r"package\s+([\w.]+)\s*;", text).group(1)
    proto = descriptor_pb2.FileDescriptorProto(name="metrics.proto", package=package, syntax="proto2")
    proto.dependency.append("google/protobuf/timestamp.proto")
    enums = {m.group(1): m.group(2) for m in re.finditer(r"enum\s+(\w+)\s*\{([^}]*)\}", text)}
    for name, body in enums.items():
        enum = proto.enum_type.add(name=name)
        for value in re.finditer(r"(\w+)\s*=\s*(-?\d+)\s*;", body):
            enum.value.add(name=value.group(1), number=int(value.group(2)))
    for message in re.finditer(r"message\s+(\w+)\s*\{([^}]*)\}", text):
        descriptor = proto.message_type.add(name=message.group(1))
        for field in re.finditer(r"(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)\s*(\[[^\]]*\])?\s*;", message.group(2)):
            label, kind, name, number, options = field.groups()
            added = descriptor.field.add(name=name, number=int(number), label=LABELS[label])
            if kind in SCALARS:
                added.type = SCALARS[kind]
            elif kind in enums:
                added.type = FieldDescriptor.TYPE_ENUM
                added.type_name = "." + package + "." + kind
            else:
                added.type = FieldDescriptor.TYPE_MESSAGE
                added.type_name = "." + (kind if "." in kind else package + "." + kind)
            if options and re.search(r"packed\s*=\s*true", options):
                added.options.packed = True
    return package, proto


def message_class(pool, name):
    descriptor = pool.FindMessageTypeByName(name)
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def value_json(field, value):
    if field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return struct.pack(">d", value).hex()
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        return message_json(value)
    return value


def message_json(message):
    result = {}
    for field, value in message.ListFields():
        if field.label == FieldDescriptor.LABEL_REPEATED:
            result[field.name] = [value_json(field, item) for item in value]
        else:
            result[field.name] = value_json(field, value)
    return result


def read_varint(data, position):
    result = shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, position
        shift += 7


def main():
    proto_path, data_path = sys.argv[1], sys.argv[2]
    with open(proto_path, encoding="utf-8") as source:
        package, proto = file_descriptor(source.read())
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(timestamp_pb2.DESCRIPTOR.serialized_pb)
    pool.Add(proto)
    family_class = message_class(pool, package + ".MetricFamily")
    with open(data_path, "rb") as source:
        data = source.read()
    families = []
    try:
        position = 0
        while position < len(data):
            length, position = read_varint(data, position)
            if position + length > len(data):
                raise ValueError(f"message of {length} bytes at {position} runs past the end ({len(data)} bytes)")
            family = family_class()
            family.ParseFromString(data[position:position + length])
            position += length
            families.append(message_json(family))
        print(json.dumps({"ok": True, "families": families}))
    except Exception as error:  # The caller asserts on ok and shows the error.
        print(json.dumps({"ok": False, "error": repr(error)}))


main()
