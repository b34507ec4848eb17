# corpus: NG007
# A low-rank adapter picks its layers from dicts its base class builds, and casts its input to the
# down projection's dtype through `.data`: only the dtype is read, and the weight still reaches
# the output through the adapter's own call. The gate is read through `.data` and moved to the
# output's device: its values flow, so it gets no gradient.
import torch
from adapters_lib import AdapterLayer


class AdapterLinear(torch.nn.Linear, AdapterLayer):
    def forward(self, x):
        input_dtype = x.dtype
        if self.current not in self.down_proj.keys():
            return self.wrapped(x)
        if self.adapters_off:
            out = self.wrapped(x)
        elif self.rank[self.current] > 0:
            out = self.wrapped(x)
            up = self.up_proj[self.current]
            down = self.down_proj[self.current]
            drop = self.dropout[self.current]
            factor = self.factor[self.current]
            x = x.type_as(down.weight.data)
            delta = (up(down(drop(x))) * factor).type_as(out)
            out += delta
        else:
            out = self.wrapped(x)
        out = out.to(input_dtype)
        return out * self.gate.weight.data.to(out)  # expect: NG007
